//! Ready-made starting points: the classic examples of the data-persistence tutorial, each with
//! the files it needs already on the host and the commands to type, in order.

/// One command of a scenario's walk-through, and what to look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub command: &'static str,
    pub note: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Stable id (for links: `#scenario=postgres`).
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// Lines run before the learner starts (files on the host); their output is not shown.
    pub setup: &'static [&'static str],
    pub steps: &'static [Step],
}

const fn step(command: &'static str, note: &'static str) -> Step {
    Step { command, note }
}

pub const SCENARIOS: [Scenario; 10] = [
    Scenario {
        id: "sandbox",
        title: "Sandbox",
        summary: "An empty home directory and four small images. Type anything.",
        setup: &[],
        steps: &[],
    },
    Scenario {
        id: "live-code",
        title: "Live code with a bind mount",
        summary: "~/my-app holds a Python app; the container sees the host's files as they change.",
        setup: &[
            "mkdir -p ~/my-app",
            "echo \"print('Hello from app.py')\" > ~/my-app/app.py",
            "echo \"flask\" > ~/my-app/requirements.txt",
            "printf 'FROM python:3.9-slim\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nCMD [\"python\", \"app.py\"]\\n' > ~/my-app/Dockerfile",
        ],
        steps: &[
            step("cat ~/my-app/Dockerfile", "The image copies requirements.txt before installing, then the code."),
            step("docker build -t my-python-app ~/my-app", "Each RUN and COPY makes a layer on top of python:3.9-slim's."),
            step("docker run --rm -v ~/my-app:/app my-python-app:latest", "The bind mount hides the image's /app: the host's files run."),
            step("echo \"print('Changed on the host')\" > ~/my-app/app.py", "Edit the code on the host..."),
            step("docker run --rm -v ~/my-app:/app my-python-app:latest", "...and the container runs the new code without a rebuild."),
            step("docker run --rm my-python-app:latest", "Without the mount, the image's copy from build time runs."),
        ],
    },
    Scenario {
        id: "nginx-config",
        title: "nginx with your own config file",
        summary: "A config file bind-mounted over the image's /etc/nginx/nginx.conf.",
        setup: &[
            "mkdir -p ~/nginx-conf",
            "echo \"server { listen 80; location / { root /usr/share/nginx/html; index index.html; } }\" > ~/nginx-conf/nginx.conf",
        ],
        steps: &[
            step(
                "docker run -d --name custom-nginx -p 80:80 -v ~/nginx-conf/nginx.conf:/etc/nginx/nginx.conf nginx:latest",
                "The container starts with the host's file in place of the image's.",
            ),
            step("docker ps -a", "It exited at once."),
            step("docker logs custom-nginx", "nginx refuses a server block outside http { }."),
            step(
                "printf 'events {}\\nhttp {\\n    server { listen 80; location / { root /usr/share/nginx/html; index index.html; } }\\n}\\n' > ~/nginx-conf/nginx.conf",
                "Fix the file on the host.",
            ),
            step("docker start custom-nginx", "Same container, same mount: it reads the fixed file."),
            step("curl http://localhost/", "The published port reaches nginx."),
            step("docker diff custom-nginx", "What nginx changed lives in the writable layer; the config is on the host."),
        ],
    },
    Scenario {
        id: "logs",
        title: "Logs on the host",
        summary: "A container writes its log into a bind-mounted host directory.",
        setup: &[
            "mkdir -p ~/my-app-logs ~/logger",
            "printf 'import logging, time\\nlogging.basicConfig(filename=\"/var/log/my-app/app.log\", level=logging.INFO, format=\"%%(asctime)s %%(levelname)s %%(message)s\")\\nlogging.info(\"app started\")\\nwhile True:\\n    logging.info(\"still working\")\\n    time.sleep(5)\\n' > ~/logger/app.py",
        ],
        steps: &[
            step(
                "docker run -d --name my-logging-app -v ~/my-app-logs:/var/log/my-app -v ~/logger:/app -w /app python:3.9-slim python app.py",
                "The log directory is a bind mount.",
            ),
            step("ls -l ~/my-app-logs", "The file is on the host, owned by the container's user (root)."),
            step("cat ~/my-app-logs/app.log", "What the app logged."),
            step("docker rm -f my-logging-app", "The container and its writable layer go..."),
            step("cat ~/my-app-logs/app.log", "...the log stays on the host."),
        ],
    },
    Scenario {
        id: "postgres",
        title: "A database on a named volume",
        summary: "PostgreSQL keeps its data directory on my-db-data; the rows outlive the container.",
        setup: &[],
        steps: &[
            step("docker volume create my-db-data", "Docker makes /var/lib/docker/volumes/my-db-data/_data."),
            step(
                "docker run -d --name my-postgres-db -e POSTGRES_PASSWORD=mysecretpassword -v my-db-data:/var/lib/postgresql/data postgres:15-alpine",
                "The image's data dir is empty: initdb fills the volume.",
            ),
            step("docker logs my-postgres-db", "First start: the database cluster is created."),
            step("docker exec my-postgres-db psql -U postgres -c \"CREATE TABLE notes (id serial, body text)\"", "A table..."),
            step("docker exec my-postgres-db psql -U postgres -c \"INSERT INTO notes (body) VALUES ('kept on a volume')\"", "...and a row."),
            step("docker rm -f my-postgres-db", "The container goes; the volume stays."),
            step(
                "docker run -d --name my-postgres-db -e POSTGRES_PASSWORD=mysecretpassword -v my-db-data:/var/lib/postgresql/data postgres:15-alpine",
                "A new container on the same volume...",
            ),
            step("docker exec my-postgres-db psql -U postgres -c \"SELECT * FROM notes\"", "...finds the row."),
            step("docker volume inspect my-db-data", "Where the data lives on the host."),
            step("docker volume rm my-db-data", "Refused while a container uses it."),
        ],
    },
    Scenario {
        id: "compose",
        title: "Docker Compose: web and db",
        summary: "The tutorial's compose file: a built web service with a bind mount, postgres with a named volume.",
        setup: &[
            "mkdir -p ~/proj/app",
            "printf 'from flask import Flask\\napp = Flask(__name__)\\n\\n@app.route(\"/\")\\ndef hello():\\n    return \"Hello from the web service\"\\n\\nif __name__ == \"__main__\":\\n    app.run(host=\"0.0.0.0\", port=5000)\\n' > ~/proj/app/app.py",
            "echo flask > ~/proj/app/requirements.txt",
            "printf 'FROM python:3.9-slim\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nCMD [\"python\", \"app.py\"]\\n' > ~/proj/app/Dockerfile",
            "printf \"version: '3.8'\\n\\nservices:\\n  web:\\n    build: ./app\\n    ports:\\n      - \\\"5000:5000\\\"\\n    volumes:\\n      - ./app:/app\\n      - web-logs:/var/log/nginx\\n\\n  db:\\n    image: postgres:15-alpine\\n    environment:\\n      POSTGRES_PASSWORD: mysecretpassword\\n    volumes:\\n      - db-data:/var/lib/postgresql/data\\n\\nvolumes:\\n  db-data:\\n  web-logs:\\n\" > ~/proj/docker-compose.yml",
            "cd ~/proj",
        ],
        steps: &[
            step("cat docker-compose.yml", "Two services, two named volumes, one bind mount."),
            step("docker compose up -d", "Compose builds web, creates proj_db-data and proj_web-logs, starts both."),
            step("docker compose ps", "Containers are named <project>-<service>-1."),
            step("curl http://localhost:5000/", "The web service answers on its published port."),
            step("docker volume ls", "The project's volumes."),
            step("docker compose down", "Containers go; named volumes stay."),
            step("docker volume ls", "Still there."),
            step("docker compose down -v", "-v removes the project's volumes too."),
            step("docker volume ls", "Gone."),
        ],
    },
    Scenario {
        id: "read-only",
        title: "Read-only mounts",
        summary: "Static files and configuration the container must not change.",
        setup: &["mkdir -p ~/my-static-files", "echo '<h1>static from the host</h1>' > ~/my-static-files/index.html"],
        steps: &[
            step(
                "docker run -d --name my-static-web -p 80:80 -v ~/my-static-files:/usr/share/nginx/html:ro nginx:latest",
                ":ro makes the bind mount read-only inside the container.",
            ),
            step("curl http://localhost/", "nginx serves the host's file."),
            step("docker exec my-static-web touch /usr/share/nginx/html/new.html", "A write is refused: Read-only file system."),
            step("docker run --rm -v my-config-vol:/etc/app/config:ro alpine touch /etc/app/config/app.conf", "The same for a named volume."),
            step("docker inspect --format '{{json .Mounts}}' my-static-web", "RW is false."),
        ],
    },
    Scenario {
        id: "permissions",
        title: "Who owns the files: UIDs and bind mounts",
        summary: "A container's uid is the host's uid: root-owned files, or writes refused.",
        setup: &["mkdir -p ~/shared"],
        steps: &[
            step("docker run --rm -v ~/shared:/data alpine touch /data/by-root", "The container runs as root..."),
            step("docker run --rm -u $(id -u):$(id -g) -v ~/shared:/data alpine touch /data/by-me", "...or as you (-u 1000:1000)."),
            step("ls -l ~/shared", "Owners on the host: root, and student."),
            step("rm ~/shared/by-root", "You own the directory, so you may remove root's file."),
            step("sudo mkdir /srv/locked", "A directory only root may write to."),
            step("docker run --rm -u 1000:1000 -v /srv/locked:/data alpine touch /data/x", "uid 1000 is refused: Permission denied."),
        ],
    },
    Scenario {
        id: "backup",
        title: "Backup and restore a volume",
        summary: "A helper container tars a volume into a bind-mounted host directory.",
        setup: &["mkdir -p ~/backup"],
        steps: &[
            step("docker run --rm -v my-db-data:/dbdata alpine sh -c 'echo precious > /dbdata/data.txt'", "A volume with data."),
            step(
                "cd ~/backup && docker run --rm -v my-db-data:/dbdata -v $(pwd):/backup-host alpine:latest tar -cvf /backup-host/db_backup.tar /dbdata",
                "The helper sees the volume and the host directory.",
            ),
            step("ls -l ~/backup", "The archive is on the host."),
            step("docker volume rm my-db-data", "Disaster."),
            step(
                "docker run --rm -v my-db-data:/dbdata -v ~/backup:/backup-host alpine tar -xvf /backup-host/db_backup.tar",
                "Restore into a fresh volume of the same name.",
            ),
            step("docker run --rm -v my-db-data:/dbdata alpine cat /dbdata/data.txt", "Back."),
        ],
    },
    Scenario {
        id: "tmpfs",
        title: "tmpfs: memory only",
        summary: "Data that never touches the disk and is gone when the container stops.",
        setup: &[],
        steps: &[
            step("docker run -d --name scratch --tmpfs /tmp/my-temp-data:size=64m alpine sleep 3600", "A 64 MB tmpfs."),
            step("docker exec scratch sh -c 'echo secret > /tmp/my-temp-data/token && df -h /tmp/my-temp-data'", "It is memory, not the writable layer."),
            step("docker diff scratch", "Nothing of it in the writable layer."),
            step("docker stop -t 0 scratch", "Stopping empties it."),
            step("docker start scratch", "Started again..."),
            step("docker exec scratch ls -a /tmp/my-temp-data", "...the tmpfs is empty."),
        ],
    },
];

pub fn find(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.id == id)
}

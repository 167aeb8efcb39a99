//! `docker pull`, `docker image prune`, and the pull that `docker run` does for a missing image.

use super::flags::{self, flag, opt};
use super::{arg_count_error, find_image, usage_error};
use crate::catalog::{self, Lookup};
use crate::daemon::images::{add_pulled, image_id};
use crate::daemon::layers::sha256_hex;
use crate::shell::Io;
use crate::world::{Image, World};

/// Why the registry would not give an image.
#[derive(Clone, Debug, PartialEq)]
pub enum PullError {
    /// Unknown or private repository.
    AccessDenied { repository: String },
    /// The repository has no such tag.
    ManifestUnknown { reference: String },
}

impl PullError {
    pub fn message(&self) -> String {
        match self {
            PullError::AccessDenied { repository } => format!(
                "pull access denied for {repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ),
            PullError::ManifestUnknown { reference } => format!("manifest for {reference} not found: manifest unknown: manifest unknown"),
        }
    }
}

/// The name Docker prints for a repository: `nginx`, not `library/nginx`.
fn short_repository(repository: &str) -> &str {
    repository.strip_prefix("library/").unwrap_or(repository)
}

/// The registry digest of a catalog image's manifest (stable: derived from its name).
fn manifest_digest(image: &catalog::CatalogImage) -> String {
    format!("sha256:{}", sha256_hex(format!("manifest {}:{}", image.repository, image.tag).as_bytes()))
}

/// Pulls `reference` from the simulated registry, printing Docker's progress lines with `line`.
/// Returns the image's index in the store.
pub fn pull_into_store(world: &mut World, reference: &str, line: &mut dyn FnMut(&str)) -> Result<usize, PullError> {
    let image = match catalog::lookup(reference) {
        Lookup::Found(image) => image,
        Lookup::UnknownTag { repository, tag } => {
            return Err(PullError::ManifestUnknown { reference: format!("{}:{tag}", short_repository(&repository)) })
        }
        Lookup::UnknownRepository { repository } => {
            return Err(PullError::AccessDenied { repository: short_repository(&repository).to_string() })
        }
    };
    let tag_ref = image.reference();
    line(&format!("{}: Pulling from {}", image.tag, image.repository));
    let digest = manifest_digest(&image);
    let existing = find_image(world, &tag_ref);
    let materialized = catalog::materialize(world, &image);
    let id = match &materialized.local_id {
        Some(id) => id.clone(),
        None => image_id(world, &materialized.layers, &materialized.config, &materialized.history, image.created),
    };
    if let Some(i) = existing.filter(|i| world.images()[*i].id == id) {
        line(&format!("Digest: {digest}"));
        line(&format!("Status: Image is up to date for {tag_ref}"));
        return Ok(i);
    }
    // Each layer travels as a compressed blob; its short digest is what the progress shows.
    let blobs: Vec<(String, bool)> = materialized
        .layers
        .iter()
        .zip(&materialized.existed)
        .map(|(l, existed)| (sha256_hex(format!("blob {}", world.layers()[*l].diff_id).as_bytes()).chars().take(12).collect(), *existed))
        .collect();
    if world.tty() {
        // On a terminal each layer has one line, redrawn in place: what stays is its last state.
        for (blob, existed) in &blobs {
            line(&format!("{blob}: {}", if *existed { "Already exists" } else { "Pull complete" }));
        }
    } else {
        // Without one, every state change is a line of its own.
        for (blob, existed) in &blobs {
            line(&format!("{blob}: {}", if *existed { "Already exists" } else { "Pulling fs layer" }));
        }
        for (blob, _) in blobs.iter().filter(|(_, existed)| !existed) {
            line(&format!("{blob}: Verifying Checksum"));
            line(&format!("{blob}: Download complete"));
        }
        for (blob, _) in blobs.iter().filter(|(_, existed)| !existed) {
            line(&format!("{blob}: Pull complete"));
        }
    }
    line(&format!("Digest: {digest}"));
    line(&format!("Status: Downloaded newer image for {tag_ref}"));
    let new_layers = materialized.existed.iter().filter(|e| !**e).count();
    let pulled = add_pulled(
        world,
        Image {
            id: id.clone(),
            tags: vec![tag_ref.clone()],
            layers: materialized.layers,
            history: materialized.history,
            config: materialized.config,
            created: image.created,
            comment: "buildkit.dockerfile.v0".into(),
            parent: String::new(),
            last_tag_time: None,
            size: 0,
        },
        new_layers,
    );
    Ok(pulled)
}

/// `docker pull [-q] NAME[:TAG]`.
pub fn pull(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("all-tags", Some('a')), flag("quiet", Some('q')), opt("platform", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "pull", &e),
    };
    if parsed.operands.len() != 1 {
        return arg_count_error(io, "pull", "exactly 1 argument", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry");
    }
    let reference = &parsed.operands[0];
    let quiet = parsed.has("quiet");
    if !quiet && !reference.contains(':') && !reference.contains('@') {
        io.out_str("Using default tag: latest\n");
    }
    let mut lines = Vec::new();
    match pull_into_store(world, reference, &mut |l| lines.push(l.to_string())) {
        Ok(i) => {
            if !quiet {
                for l in lines {
                    io.out_str(&format!("{l}\n"));
                }
            }
            let tag = world.images()[i].tags.first().cloned().unwrap_or_default();
            let full = if tag.contains('/') { format!("docker.io/{tag}") } else { format!("docker.io/library/{tag}") };
            io.out_str(&format!("{full}\n"));
            0
        }
        Err(e) => {
            if !quiet {
                for l in lines {
                    io.out_str(&format!("{l}\n"));
                }
            }
            io.err_line(&format!("Error response from daemon: {}", e.message()));
            1
        }
    }
}

/// `docker image prune [-a] [-f]`: removes dangling images, or with `-a` every image no container uses.
pub fn prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("all", Some('a')), flag("force", Some('f')), opt("filter", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "image prune", &e),
    };
    let all = parsed.has("all");
    let filter = match super::prune_filter::PruneFilter::parse(world, &parsed.all("filter"), &["label", "label!", "until", "dangling"]) {
        Ok(f) => f,
        Err(e) => return super::daemon_error(io, &e),
    };
    // The daemon adds its own dangling=true unless -a: any other value conflicts with it.
    if !all && filter.dangling.iter().any(|d| d != "true") {
        let mut values: Vec<&str> = filter.dangling.iter().map(String::as_str).chain(["true"]).collect();
        crate::sorting::sort(&mut values);
        values.dedup();
        return super::daemon_error(io, &format!("invalid filter 'dangling=[{}]'", values.join(" ")));
    }
    let warning = if all {
        "WARNING! This will remove all images without at least one container associated to them."
    } else {
        "WARNING! This will remove all dangling images."
    };
    if !parsed.has("force") && !super::confirm(world, io, warning) {
        return 0;
    }
    let (reclaimed, report) = prune_images(world, all, &filter);
    super::print_prune_result(io, &[&report], reclaimed, 4);
    0
}

/// Removes the images no container uses (only untagged ones unless `all`) and the layers left
/// unused: the bytes, and the report (`Deleted Images:` with `untagged:`/`deleted:` lines).
pub(super) fn prune_images(world: &mut World, all: bool, filter: &super::prune_filter::PruneFilter) -> (u64, String) {
    let victims: Vec<String> = world
        .images()
        .iter()
        .filter(|im| all || im.tags.is_empty())
        .filter(|im| filter.takes(&im.config.labels, im.created as i128 * 1_000_000_000))
        .filter(|im| !world.containers().iter().any(|c| c.image_id == im.id))
        .map(|im| im.id.clone())
        .collect();
    let mut report = String::new();
    let mut reclaimed = 0u64;
    for id in victims {
        let Some(i) = world.images().iter().position(|im| im.id == id) else { continue };
        let reference = world.images()[i].tags.first().cloned().unwrap_or_else(|| world.images()[i].short_id().to_string());
        let Some(removed) = crate::daemon::images::remove(world, i, reference) else { continue };
        for t in &removed.image.tags {
            report.push_str(&format!("untagged: {t}\n"));
        }
        report.push_str(&format!("deleted: {}\n", removed.image.id));
        for layer in removed.released {
            report.push_str(&format!("deleted: {}\n", layer.chain_id));
            reclaimed += layer.size;
        }
    }
    if !report.is_empty() {
        report.insert_str(0, "Deleted Images:\n");
    }
    (reclaimed, report)
}

/// `docker push NAME[:TAG]`: the simulated registry takes pulls only; Docker Hub refuses a push
/// without a login, after naming the repository and preparing the layers.
pub fn push(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let Some(reference) = args.iter().find(|a| !a.starts_with('-')) else {
        return super::arg_count_error(io, "push", "exactly 1 argument", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry");
    };
    let full = super::normalized_ref(reference);
    let Some(i) = find_image(world, &full) else {
        let repo = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
        io.out_str(&format!("The push refers to repository [{}]\n", super::buildkit::hub_repository(repo)));
        io.err_line(&format!("An image does not exist locally with the tag: {repo}"));
        return 1;
    };
    let repo = full.rsplit_once(':').map_or(full.clone(), |(r, _)| r.to_string());
    io.out_str(&format!("The push refers to repository [{}]\n", super::buildkit::hub_repository(&repo)));
    let layers: Vec<String> = world.images()[i].layers.iter().rev().map(|l| world.layers()[*l].diff_id.clone()).collect();
    for diff in layers {
        let short: String = diff.trim_start_matches("sha256:").chars().take(12).collect();
        io.out_str(&format!("{short}: Preparing\n"));
    }
    io.err_line("denied: requested access to the resource is denied");
    1
}

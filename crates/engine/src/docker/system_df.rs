//! `docker system df`: what images, containers, local volumes and the build cache take, and
//! what a prune would give back; `-v` lists each, `--format` renders either with a template.

use serde_json::{json, Value};

use super::flags::{self, flag, opt};
use super::format::{self, ellipsis, human_size, tabwrite};
use super::inspect::repo_tag;
use super::{rw_size, usage_error};
use crate::clock::human_duration;
use crate::shell::Io;
use crate::sorting::{sort, sort_by};
use crate::world::{MountPointKind, Status, World};

pub fn system_df(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("verbose", Some('v')), opt("format", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "system df", &e),
    };
    let mut unique_layers: Vec<usize> = world.images().iter().flat_map(|im| im.layers.iter().copied()).collect();
    sort(&mut unique_layers);
    unique_layers.dedup();
    let images_size: u64 = unique_layers.iter().map(|l| world.layers()[*l].size).sum();
    // An image's layers that other images share too.
    let shared_of = |i: usize| -> u64 {
        let im = &world.images()[i];
        im.layers
            .iter()
            .filter(|l| world.images().iter().filter(|o| o.layers.contains(l)).count() > 1)
            .map(|l| world.layers()[*l].size)
            .sum()
    };
    let containers_of = |i: usize| world.containers().iter().filter(|c| c.image_id == world.images()[i].id).count();
    let active_images = (0..world.images().len()).filter(|i| containers_of(*i) > 0).count();
    // As Docker's CLI counts it: what the images in use hold alone is not reclaimable.
    let in_use: u64 = (0..world.images().len()).filter(|i| containers_of(*i) > 0).map(|i| world.images()[i].size - shared_of(i)).sum();
    let reclaim_images = images_size.saturating_sub(in_use);
    let containers_size: u64 = world.containers().iter().map(|c| rw_size(world, c)).sum();
    let running = world.containers().iter().filter(|c| c.status == Status::Running).count();
    let reclaim_containers: u64 = world.containers().iter().filter(|c| c.status != Status::Running).map(|c| rw_size(world, c)).sum();
    let vol_sizes: Vec<(String, usize, u64)> = world
        .volumes()
        .values()
        .map(|v| (v.name.clone(), super::volume::users_of(world, &v.name).len(), world.fs().usage(v.root).0))
        .collect();
    let vols_size: u64 = vol_sizes.iter().map(|v| v.2).sum();
    let vols_active = vol_sizes.iter().filter(|v| v.1 > 0).count();
    let reclaim_vols: u64 = vol_sizes.iter().filter(|v| v.1 == 0).map(|v| v.2).sum();
    let pct = |part: u64, total: u64| (part * 100).checked_div(total).unwrap_or(0) as u32;
    let hs = |n: u64| human_size(n as f64, 4);
    // Docker's CLI shows the share only of a size that is not zero.
    let reclaimable = |part: u64, total: u64| if total == 0 { hs(part) } else { format!("{} ({}%)", hs(part), pct(part, total)) };
    // The build cache counts what no image shares; none of it is in use between builds.
    let cache = crate::daemon::build_cache::usage(world);
    let cache_size: u64 = cache.iter().filter(|u| !u.shared).map(|u| u.record.size).sum();
    let now = world.clock().nanos;
    if !parsed.has("verbose") {
        let rows = [
            ("Images", world.images().len(), active_images, hs(images_size), reclaimable(reclaim_images, images_size)),
            ("Containers", world.containers().len(), running, hs(containers_size), reclaimable(reclaim_containers, containers_size)),
            ("Local Volumes", world.volumes().len(), vols_active, hs(vols_size), reclaimable(reclaim_vols, vols_size)),
            ("Build Cache", cache.len(), 0, hs(cache_size), hs(cache_size)),
        ];
        if let Some(f) = parsed.get("format") {
            let rows: Vec<Value> = rows
                .iter()
                .map(|(kind, total, active, size, reclaim)| {
                    json!({"Type": kind, "TotalCount": total, "Active": active, "Size": size, "Reclaimable": reclaim})
                })
                .collect();
            let headers =
                [("Type", "TYPE"), ("TotalCount", "TOTAL"), ("Active", "ACTIVE"), ("Size", "SIZE"), ("Reclaimable", "RECLAIMABLE")];
            return format::print_list(io, f, &rows, &headers);
        }
        let mut text = String::from("TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE\n");
        for (kind, total, active, size, reclaim) in rows {
            text.push_str(&format!("{kind}\t{total}\t{active}\t{size}\t{reclaim}\n"));
        }
        io.out_str(&tabwrite(&text));
        return 0;
    }
    let mut order: Vec<usize> = (0..world.images().len()).collect();
    sort_by(&mut order, |a, b| world.images()[*b].created.cmp(&world.images()[*a].created));
    let images: Vec<Value> = order
        .iter()
        .map(|&i| {
            let im = &world.images()[i];
            let shared = shared_of(i);
            let (repo, tag) = repo_tag(im.tags.first().map(String::as_str).unwrap_or("<none>:<none>"));
            json!({
                "Repository": repo, "Tag": tag, "ID": im.short_id(),
                "CreatedSince": format!("{} ago", human_duration((now - im.created as i128 * 1_000_000_000).max(0))),
                "Size": human_size(im.size as f64, 3), "SharedSize": hs(shared), "UniqueSize": hs(im.size - shared),
                "Containers": containers_of(i),
            })
        })
        .collect();
    let containers: Vec<Value> = world
        .containers()
        .iter()
        .rev()
        .map(|c| {
            json!({
                "ID": c.short_id(), "Image": c.image_ref, "Command": format!("\"{}\"", ellipsis(&c.command_line(), 20)),
                "LocalVolumes": c.mount_points.iter().filter(|m| m.kind == MountPointKind::Volume).count(),
                "Size": hs(rw_size(world, c)), "RunningFor": format!("{} ago", human_duration(now - c.created)),
                "Status": super::status_text(world, c), "Names": c.name,
            })
        })
        .collect();
    let volumes: Vec<Value> = vol_sizes
        .iter()
        .map(|(n, links, size)| {
            json!({"Name": n, "Links": links, "Size": hs(*size), "Driver": "local",
                "Mountpoint": format!("/var/lib/docker/volumes/{n}/_data"), "Scope": "local"})
        })
        .collect();
    let build_cache: Vec<Value> = cache
        .iter()
        .map(|u| {
            let r = &u.record;
            json!({
                "ID": r.id.0.chars().take(12).collect::<String>(), "CacheType": r.record_type(),
                "Description": r.description, "Size": hs(r.size),
                "CreatedSince": format!("{} ago", human_duration(now - r.created)),
                "LastUsedSince": format!("{} ago", human_duration(now - r.last_used)),
                "UsageCount": r.usage_count, "InUse": false, "Shared": u.shared,
            })
        })
        .collect();
    if let Some(f) = parsed.get("format") {
        let data = json!({"Images": images, "Containers": containers, "Volumes": volumes, "BuildCache": build_cache});
        return match format::render(f, &data) {
            // No newline of its own: the template says where lines end (oracle-16).
            Ok(text) => {
                io.out_str(&text);
                0
            }
            Err(e) => {
                io.err_line(&format!("template parsing error: {e}"));
                64
            }
        };
    }
    let table = |rows: &[Value], columns: &[(&str, &str)]| {
        let mut text = columns.iter().map(|(_, h)| *h).collect::<Vec<_>>().join("\t") + "\n";
        for r in rows {
            let cells: Vec<String> =
                columns.iter().map(|(k, _)| r[*k].as_str().map_or_else(|| r[*k].to_string(), str::to_string)).collect();
            text.push_str(&(cells.join("\t") + "\n"));
        }
        tabwrite(&text)
    };
    io.out_str("Images space usage:\n\n");
    io.out_str(&table(
        &images,
        &[
            ("Repository", "REPOSITORY"),
            ("Tag", "TAG"),
            ("ID", "IMAGE ID"),
            ("CreatedSince", "CREATED"),
            ("Size", "SIZE"),
            ("SharedSize", "SHARED SIZE"),
            ("UniqueSize", "UNIQUE SIZE"),
            ("Containers", "CONTAINERS"),
        ],
    ));
    io.out_str("\nContainers space usage:\n\n");
    io.out_str(&table(
        &containers,
        &[
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("LocalVolumes", "LOCAL VOLUMES"),
            ("Size", "SIZE"),
            ("RunningFor", "CREATED"),
            ("Status", "STATUS"),
            ("Names", "NAMES"),
        ],
    ));
    io.out_str("\nLocal Volumes space usage:\n\n");
    io.out_str(&table(&volumes, &[("Name", "VOLUME NAME"), ("Links", "LINKS"), ("Size", "SIZE")]));
    io.out_str(&format!("\nBuild cache usage: {}\n\n", hs(cache_size)));
    let mut text = String::from("CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED\n");
    for b in &build_cache {
        let cell = |k: &str| b[k].as_str().map_or_else(|| b[k].to_string(), str::to_string);
        let cells = ["ID", "CacheType", "Size", "CreatedSince", "LastUsedSince", "UsageCount", "Shared"].map(cell);
        text.push_str(&(cells.join("\t") + "\n"));
    }
    io.out_str(&tabwrite(&text));
    0
}

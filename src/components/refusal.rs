//! The picture of a write refused for its permissions: the process's uid:gid against the
//! owner:group and mode of what it wrote to, the class of bits that applies (owner, group or
//! others, as the kernel picks it) and the bit that refuses, highlighted.

use stowage_engine::DenyCause;
use yew::prelude::*;

/// Whose bits of a mode apply to a process: the kernel checks the owner's bits if the uid
/// owns the file, else the group's if the gid is its group, else the others'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Owner,
    Group,
    Others,
}

impl Class {
    pub fn of(uid: u32, gid: u32, owner_uid: u32, owner_gid: u32) -> Class {
        if uid == owner_uid {
            Class::Owner
        } else if gid == owner_gid {
            Class::Group
        } else {
            Class::Others
        }
    }

    fn index(self) -> usize {
        match self {
            Class::Owner => 0,
            Class::Group => 1,
            Class::Others => 2,
        }
    }
}

/// The three `rwx` triples of a mode, owner first.
pub fn triples(mode: u32) -> [[char; 3]; 3] {
    let bits = |shift: u32| {
        let b = (mode >> shift) & 0o7;
        [if b & 4 != 0 { 'r' } else { '-' }, if b & 2 != 0 { 'w' } else { '-' }, if b & 1 != 0 { 'x' } else { '-' }]
    };
    [bits(6), bits(3), bits(0)]
}

/// Which position of the applying triple refuses a write: `w` when it is missing, else `x`
/// (a directory needs both to create a file in it).
pub fn refusing_bit(triple: [char; 3]) -> usize {
    if triple[1] == '-' {
        1
    } else {
        2
    }
}

/// The refusal in words, for the figure's accessible name.
pub fn explain(uid: u32, gid: u32, owner_uid: u32, owner_gid: u32, mode: u32) -> String {
    let class = Class::of(uid, gid, owner_uid, owner_gid);
    let triple = triples(mode)[class.index()];
    let bits: String = triple.iter().collect();
    let missing = if refusing_bit(triple) == 1 { "w" } else { "x" };
    let whose = match class {
        Class::Owner => format!("uid {uid} owns it, so the owner's bits {bits} apply"),
        Class::Group => format!("uid {uid} is not the owner ({owner_uid}) but gid {gid} is its group, so the group's bits {bits} apply"),
        Class::Others => {
            format!(
                "uid {uid} is not the owner ({owner_uid}) and gid {gid} is not the group ({owner_gid}), so the others' bits {bits} apply"
            )
        }
    };
    format!("Permission check: {whose}, and they have no {missing}: the write is refused.")
}

#[derive(Properties, PartialEq)]
pub struct PermissionCheckProps {
    pub cause: DenyCause,
}

/// The figure, for a permission refusal (nothing for another cause).
#[function_component]
pub fn PermissionCheck(props: &PermissionCheckProps) -> Html {
    let DenyCause::Permission { uid, gid, owner_uid, owner_gid, mode } = props.cause else {
        return html! {};
    };
    let class = Class::of(uid, gid, owner_uid, owner_gid);
    let all = triples(mode);
    let refusing = refusing_bit(all[class.index()]);
    let names = ["owner", "group", "others"];
    html! {
        <div class="perm-check" role="img" aria-label={explain(uid, gid, owner_uid, owner_gid, mode)}>
            <span class="pc-side pc-process">
                <span class="pc-label">{ "process" }</span>
                <code>{ format!("{uid}:{gid}") }</code>
            </span>
            <span class="pc-vs" aria-hidden="true">{ if class == Class::Owner { "=" } else { "≠" } }</span>
            <span class="pc-side">
                <span class="pc-label">{ "owner" }</span>
                <code>{ format!("{owner_uid}:{owner_gid}") }</code>
            </span>
            <span class="pc-side pc-mode">
                <span class="pc-label">{ format!("mode {:03o}", mode & 0o777) }</span>
                <code>
                    { for all.iter().enumerate().map(|(i, t)| {
                        let applies = i == class.index();
                        html! {
                            <span class={classes!("pc-triple", applies.then_some("applies"))} title={names[i]}>
                                { for t.iter().enumerate().map(|(j, c)| if applies && j == refusing {
                                    html! { <mark class="pc-refuses">{ *c }</mark> }
                                } else {
                                    html! { { *c } }
                                }) }
                            </span>
                        }
                    }) }
                </code>
            </span>
            <span class="pc-verdict">{ format!("{}: no {}", names[class.index()], if refusing == 1 { "w" } else { "x" }) }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_picks_one_class_and_the_missing_bit_refuses() {
        // The tutorial's refusal: uid 1000 writes into a folder root made (755).
        assert_eq!(Class::of(1000, 1000, 0, 0), Class::Others);
        assert_eq!(Class::of(1000, 0, 0, 0), Class::Group);
        assert_eq!(Class::of(1000, 0, 1000, 0), Class::Owner, "the owner's bits, even when the group's would allow");
        assert_eq!(triples(0o755), [['r', 'w', 'x'], ['r', '-', 'x'], ['r', '-', 'x']]);
        assert_eq!(refusing_bit(['r', '-', 'x']), 1);
        assert_eq!(refusing_bit(['r', 'w', '-']), 2, "a directory without x");
        assert_eq!(
            explain(1000, 1000, 0, 0, 0o755),
            "Permission check: uid 1000 is not the owner (0) and gid 1000 is not the group (0), so the others' bits r-x apply, \
             and they have no w: the write is refused."
        );
    }
}

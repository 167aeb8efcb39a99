//! Small line icons (16×16, drawn with `currentColor`). Always decorative: the text next to
//! an icon carries the meaning, so every icon is `aria-hidden`.

use yew::{html, Html};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Logo,
    Terminal,
    Lock,
    Pencil,
    Volume,
    Folder,
    Memory,
    File,
    Host,
    Alert,
    Cross,
    Play,
    Pause,
    Previous,
    Next,
    Skip,
    Sun,
    Moon,
    Auto,
    Eye,
    Whiteout,
    Link,
    Undo,
    Check,
    Book,
}

fn path(icon: Icon) -> Html {
    match icon {
        Icon::Logo => html! { <>
            <rect x="2" y="2" width="12" height="3" rx="1" />
            <rect x="2" y="6.5" width="12" height="3" rx="1" stroke-dasharray="2 1.5" />
            <rect x="2" y="11" width="12" height="3" rx="1" />
        </> },
        Icon::Terminal => html! { <>
            <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
            <path d="M4.5 6l2 2-2 2M8 10.5h3.5" />
        </> },
        Icon::Lock => html! { <>
            <rect x="3.5" y="7" width="9" height="7" rx="1" />
            <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
        </> },
        Icon::Pencil => html! { <path d="M10.5 2.5l3 3-8 8H2.5v-3zM9 4l3 3" /> },
        Icon::Volume => html! { <>
            <ellipse cx="8" cy="3.5" rx="5" ry="1.8" />
            <path d="M3 3.5v9c0 1 2.2 1.8 5 1.8s5-.8 5-1.8v-9M3 8c0 1 2.2 1.8 5 1.8S13 9 13 8" />
        </> },
        Icon::Folder => html! { <path d="M1.5 4.5v8h13v-7H8L6.5 3.5h-5z" /> },
        Icon::Memory => html! { <>
            <rect x="2" y="4.5" width="12" height="7" rx="1" />
            <path d="M4.5 4.5v-2M7 4.5v-2M9.5 4.5v-2M12 4.5v-2M4.5 11.5v2M7 11.5v2M9.5 11.5v2M12 11.5v2" />
        </> },
        Icon::File => html! { <path d="M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3" /> },
        Icon::Host => html! { <>
            <rect x="1.5" y="2.5" width="13" height="8.5" rx="1" />
            <path d="M5.5 14h5M8 11v3" />
        </> },
        Icon::Alert => html! { <>
            <path d="M8 1.8l6.6 11.7H1.4z" />
            <path d="M8 6v3.5M8 11.2v.3" />
        </> },
        Icon::Cross => html! { <path d="M4 4l8 8M12 4l-8 8" /> },
        Icon::Play => html! { <path d="M4.5 2.5v11l9-5.5z" fill="currentColor" /> },
        Icon::Pause => html! { <path d="M4.5 2.5v11M11.5 2.5v11" stroke-width="3" /> },
        Icon::Previous => html! { <path d="M3.5 3v10M13 3L6 8l7 5z" /> },
        Icon::Next => html! { <path d="M12.5 3v10M3 3l7 5-7 5z" /> },
        Icon::Skip => html! { <path d="M2 3l6 5-6 5zM8 3l6 5-6 5z" /> },
        Icon::Sun => html! { <>
            <circle cx="8" cy="8" r="3" />
            <path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3" />
        </> },
        Icon::Moon => html! { <path d="M13 10A6 6 0 0 1 6 3a6 6 0 1 0 7 7z" /> },
        Icon::Auto => html! { <>
            <circle cx="8" cy="8" r="6" />
            <path d="M8 2a6 6 0 0 1 0 12z" fill="currentColor" />
        </> },
        Icon::Eye => html! { <>
            <path d="M1 8s2.5-4.5 7-4.5S15 8 15 8s-2.5 4.5-7 4.5S1 8 1 8z" />
            <circle cx="8" cy="8" r="2" />
        </> },
        Icon::Whiteout => html! { <>
            <path d="M3.5 1.5h6l3 3v10h-9z" stroke-dasharray="2 1.5" />
            <path d="M2 14L14 2" />
        </> },
        Icon::Link => {
            html! { <path d="M6.5 9.5l3-3M7 4.5l1.5-1.5a2.5 2.5 0 0 1 3.5 3.5L10.5 8M9 11.5L7.5 13A2.5 2.5 0 0 1 4 9.5L5.5 8" /> }
        }
        Icon::Undo => html! { <path d="M5 3L2 6l3 3M2.5 6H10a3.5 3.5 0 0 1 0 7H6" /> },
        Icon::Check => html! { <path d="M3 8.5l3 3 7-7" /> },
        Icon::Book => {
            html! { <path d="M8 4.5C6.5 3 4 2.5 1.5 3v10c2.5-.5 5 0 6.5 1.5M8 4.5c1.5-1.5 4-2 6.5-1.5v10c-2.5-.5-5 0-6.5 1.5M8 4.5v10" /> }
        }
    }
}

/// An icon at the current font size.
pub fn icon(icon: Icon) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round">
            { path(icon) }
        </svg>
    }
}

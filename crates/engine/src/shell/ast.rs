//! The syntax tree of a shell line (the POSIX subset learners type).

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Literal text; `quoted` text is neither split nor globbed.
    Lit { text: String, quoted: bool },
    /// `$name`, `${name}`, `$?`, `$1`…; `op` for `${name:-word}` and its kin; `trim` for
    /// `${name%pattern}` and its kin.
    Param { name: String, quoted: bool, op: Option<Box<ParamOp>>, length: bool, trim: Option<(Trim, Word)>, edit: Option<Box<Edit>> },
    /// `$(...)` or backquotes, kept as source and parsed when expanded.
    Command { source: String, quoted: bool },
    /// `~` or `~user` at the start of a word.
    Tilde(String),
    /// `$((...))`.
    Arith { source: String },
    /// `${…}` naming no parameter (`${é}`, `${}`), as written: expanding it is an error.
    BadSubstitution(String),
    /// `<(…)` (bash): the command's output, read through a path (`/dev/fd/63`).
    ProcSubst { source: String },
    /// `>(…)` (bash): the command reads, as its input, what is written to a path.
    ProcSubstOut { source: String },
}

pub type Word = Vec<Part>;

/// A piece of `[[ … ]]`: an operator (`&&`, `||`, `!`, `(`, `)`, `<`, `>`) or a word.
#[derive(Clone, Debug, PartialEq)]
pub enum CondToken {
    Op(String),
    Word(Word),
}

/// What `${name OP word}` does with a parameter that is unset, or (with `colon`) empty.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamOp {
    pub kind: ParamOpKind,
    /// `:-` rather than `-`: an empty value counts as unset.
    pub colon: bool,
    pub word: Word,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOpKind {
    /// `-`: the word instead.
    Default,
    /// `=`: the word instead, assigned to the name.
    Assign,
    /// `+`: the word if the parameter is set, else nothing.
    Alternative,
    /// `?`: the shell stops with the word (or its own message).
    Error,
}

/// bash's other changes to a value: `${name:offset:length}`, `${name/pattern/string}` (`//`
/// all, `/#` at the start, `/%` at the end) and the case (`^`, `^^`, `,`, `,,`).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Slice { offset: String, length: Option<String> },
    Replace { all: bool, anchor: Option<char>, pattern: Word, with: Word },
    Case { upper: bool, all: bool },
}

/// What `${name%pattern}`, `%%`, `#` and `##` take off the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    /// `%`: the shortest matching suffix.
    ShortSuffix,
    /// `%%`: the longest matching suffix.
    LongSuffix,
    /// `#`: the shortest matching prefix.
    ShortPrefix,
    /// `##`: the longest matching prefix.
    LongPrefix,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirOp {
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `>&` with a number: duplicate.
    DupOut,
    /// `&>` (bash): stdout and stderr to a file.
    OutErr,
    /// `&>>`
    AppendErr,
    /// `<<WORD` / `<<-WORD` here-document, or `<<<word` here-string: the target is the text
    /// itself (already expanded as its quoting says).
    HereDoc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Simple {
    /// `name=value`, `name+=value`, `name[i]=value` (the name as written, `+` kept).
    pub assigns: Vec<(String, Word)>,
    /// `name=(word …)` and `name+=(word …)`: arrays (bash).
    pub arrays: Vec<(String, Vec<Word>)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(Simple),
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
        redirs: Vec<Redir>,
    },
    /// `select NAME [in WORDS]; do LIST; done` (bash): a numbered menu on stderr, a line read
    /// for each round.
    Select {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
        redirs: Vec<Redir>,
    },
    While {
        cond: List,
        body: List,
        until: bool,
        redirs: Vec<Redir>,
    },
    Group {
        body: List,
        redirs: Vec<Redir>,
    },
    /// `case WORD in PATTERN|PATTERN) LIST ;; … esac`: the first arm a pattern of which matches.
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, List)>,
        redirs: Vec<Redir>,
    },
    Subshell {
        body: List,
        redirs: Vec<Redir>,
    },
    /// `(( expression ))`: arithmetic, true when the value is not zero (bash).
    Arith {
        source: String,
        redirs: Vec<Redir>,
    },
    /// `for (( init; condition; step ))` (bash).
    ArithFor {
        init: String,
        cond: String,
        step: String,
        body: List,
        redirs: Vec<Redir>,
    },
    /// `[[ expression ]]` (bash): its words and operators, expanded without splitting.
    Cond {
        tokens: Vec<CondToken>,
        redirs: Vec<Redir>,
    },
    /// `name() { …; }`: defines a function (its body is run with the call's arguments).
    Function {
        name: String,
        body: Box<Command>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct List {
    /// Each item with whether it was sent to the background (`&`).
    pub items: Vec<(AndOr, bool)>,
    /// Each background item's source text, what `jobs` shows (empty for the others).
    pub texts: Vec<String>,
}

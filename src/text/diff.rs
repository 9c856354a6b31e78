//! Two runs of words lined up (a diff of words, through the `similar` crate): which are the same,
//! which replaced, which only on one side. Used to follow a letter's words back to the heard
//! ones (`pipeline::review`) and to find what a secretary replaced (`desk`).

use std::ops::Range;

/// How a stretch of the first run relates to a stretch of the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Equal,
    Replace,
    Delete,
    Insert,
}

/// One stretch: `old` in the first run, `new` in the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub tag: Tag,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// Lines up `a` and `b` (Myers' diff), giving up on finer detail after `within` (a long letter
/// rewritten whole is still lined up, coarsely).
pub fn words<T: AsRef<str>>(a: &[T], b: &[T], within: std::time::Duration) -> Vec<Op> {
    let a: Vec<&str> = a.iter().map(AsRef::as_ref).collect();
    let b: Vec<&str> = b.iter().map(AsRef::as_ref).collect();
    let deadline = std::time::Instant::now() + within;
    similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &a, &b, Some(deadline))
        .into_iter()
        .map(|op| {
            let (tag, old, new) = op.as_tag_tuple();
            let tag = match tag {
                similar::DiffTag::Equal => Tag::Equal,
                similar::DiffTag::Replace => Tag::Replace,
                similar::DiffTag::Delete => Tag::Delete,
                similar::DiffTag::Insert => Tag::Insert,
            };
            Op { tag, old, new }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_run_is_found_between_equal_words() {
        let a = ["started", "sack", "you", "bitril", "daily"];
        let b = ["started", "sacubitril", "daily"];
        let ops = words(&a, &b, std::time::Duration::from_secs(1));
        let replaced: Vec<&Op> = ops.iter().filter(|o| o.tag == Tag::Replace).collect();
        assert_eq!(replaced.len(), 1);
        assert_eq!(
            (replaced[0].old.clone(), replaced[0].new.clone()),
            (1..4, 1..2)
        );
    }
}

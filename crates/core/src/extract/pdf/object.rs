//! Reading PDF objects: numbers and references followed to what they
//! name (a leaf the page reader and the font reader share).

use lopdf::{Document, Object};

/// A number object's value (integer or real).
pub(super) fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The object `o` names, following references (at most eight deep; a
/// broken or too deep chain is `Null`).
pub(super) fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    let mut o = o;
    for _ in 0..8 {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(x) => o = x,
                Err(_) => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

//! Dutch abbreviations that keep their period.
//!
//! A word in this list, followed directly by a period, is one token (`bijv.`, `jl.`, `t.a.v.`);
//! other words leave the period as a token of its own. Lookup ignores ASCII case, so `Nr.`,
//! `NR.` and the `C.S.` of an all-capitals heading are found too.
//!
//! The list is data, kept sorted so lookup is a binary search with no allocation. Dotted
//! sequences of single letters (`J.A.M.`, `a.s.`) and single letters (`D.`) are recognised by
//! the tokenizer even when they are not listed; listing one here only decides its
//! [`AbbreviationKind`].

/// What an abbreviation does at the end of a phrase, which decides whether a sentence can end
/// on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbbreviationKind {
    /// Introduces what follows (a title, `nr.`, `art.`, `bijv.`, `o.a.`, `d.d.`): never ends a
    /// sentence, even before a capital (`dhr. Jansen`, `Nr. 299`).
    Leading,
    /// Closes a phrase (`jl.`, `mld.`, `enz.`, `c.s.`): ends a sentence when followed by a
    /// capitalised word, by a new line that starts like a sentence, or by the end of the text.
    Trailing,
}

use AbbreviationKind::{Leading as L, Trailing as T};

/// The Dutch abbreviations the segmenter knows, lower case, with their final period, sorted.
///
/// Left out on purpose because they are also ordinary words that can end a sentence: `al.`
/// (alinea / al), `gen.` (generaal / gen), `min.` (minister / min), `red.`, `zo.`, `ma.`.
pub const DUTCH_ABBREVIATIONS: &[(&str, AbbreviationKind)] = &[
    ("a.s.", T),     // aanstaande
    ("a.u.b.", T),   // alstublieft
    ("aant.", L),    // aantekening
    ("adm.", L),     // admiraal
    ("afb.", L),     // afbeelding
    ("afd.", L),     // afdeling
    ("alg.", L),     // algemeen
    ("apr.", T),     // april
    ("art.", L),     // artikel
    ("artt.", L),    // artikelen
    ("aug.", T),     // augustus
    ("b.v.", T),     // besloten vennootschap (B.V.)
    ("betr.", L),    // betreffende
    ("bijl.", L),    // bijlage
    ("bijv.", L),    // bijvoorbeeld
    ("bijz.", L),    // bijzonder
    ("blz.", L),     // bladzijde
    ("bv.", T),      // bijvoorbeeld / BV
    ("c.q.", L),     // casu quo
    ("c.s.", T),     // cum suis
    ("ca.", L),      // circa
    ("cdr.", L),     // commandeur
    ("cf.", L),      // confer
    ("cfr.", L),     // confer
    ("cie.", L),     // commissie
    ("d.d.", L),     // de dato
    ("d.i.", L),     // dat is
    ("d.m.v.", L),   // door middel van
    ("d.w.z.", L),   // dat wil zeggen
    ("dd.", L),      // de dato
    ("dec.", T),     // december
    ("dhr.", L),     // de heer
    ("di.", T),      // dinsdag
    ("dir.", L),     // directeur
    ("do.", T),      // donderdag
    ("dr.", L),      // doctor
    ("drs.", L),     // doctorandus
    ("ds.", L),      // dominee
    ("e.a.", T),     // en andere(n)
    ("e.d.", T),     // en dergelijke
    ("e.e.a.", T),   // een en ander
    ("e.v.", T),     // en volgende
    ("em.", L),      // emeritus
    ("enz.", T),     // enzovoort
    ("etc.", T),     // et cetera
    ("evt.", L),     // eventueel
    ("excl.", L),    // exclusief
    ("fa.", L),      // firma
    ("feb.", T),     // februari
    ("febr.", T),    // februari
    ("fig.", L),     // figuur
    ("geb.", L),     // geboren
    ("gebr.", L),    // gebroeders
    ("gem.", L),     // gemiddeld / gemeente
    ("hfdst.", L),   // hoofdstuk
    ("hfst.", L),    // hoofdstuk
    ("hoofdst.", L), // hoofdstuk
    ("hr.", L),      // heer
    ("i.c.", L),     // in casu
    ("i.c.m.", L),   // in combinatie met
    ("i.e.", L),     // id est
    ("i.h.a.", L),   // in het algemeen
    ("i.h.b.", L),   // in het bijzonder
    ("i.h.k.v.", L), // in het kader van
    ("i.o.", T),     // in oprichting
    ("i.o.m.", L),   // in overleg met
    ("i.p.v.", L),   // in plaats van
    ("i.s.m.", L),   // in samenwerking met
    ("i.t.t.", L),   // in tegenstelling tot
    ("i.v.m.", L),   // in verband met
    ("incl.", L),    // inclusief
    ("ing.", L),     // ingenieur
    ("inz.", L),     // inzake
    ("ir.", L),      // ingenieur
    ("jan.", T),     // januari
    ("jg.", L),      // jaargang
    ("jhr.", L),     // jonkheer
    ("jkvr.", L),    // jonkvrouw
    ("jl.", T),      // jongstleden
    ("jr.", T),      // junior
    ("jul.", T),     // juli
    ("jun.", T),     // juni
    ("kap.", L),     // kapitein
    ("kol.", L),     // kolonel
    ("lkol.", L),    // luitenant-kolonel
    ("lt.", L),      // luitenant
    ("ltz.", L),     // luitenant-ter-zee
    ("m.a.w.", L),   // met andere woorden
    ("m.b.t.", L),   // met betrekking tot
    ("m.i.", L),     // mijns inziens
    ("m.i.v.", L),   // met ingang van
    ("m.n.", L),     // met name
    ("m.u.v.", L),   // met uitzondering van
    ("maj.", L),     // majoor
    ("max.", L),     // maximaal
    ("mej.", L),     // mejuffrouw
    ("mevr.", L),    // mevrouw
    ("mgr.", L),     // monseigneur
    ("mld.", T),     // miljard
    ("mln.", T),     // miljoen
    ("mr.", L),      // meester (in de rechten)
    ("mrd.", T),     // miljard
    ("mrt.", T),     // maart
    ("mw.", L),      // mevrouw
    ("n.a.v.", L),   // naar aanleiding van
    ("n.b.", L),     // nota bene
    ("n.v.", T),     // naamloze vennootschap (N.V.)
    ("n.v.t.", T),   // niet van toepassing
    ("nov.", T),     // november
    ("nr.", L),      // nummer
    ("nrs.", L),     // nummers
    ("o.a.", L),     // onder andere
    ("o.b.v.", L),   // op basis van
    ("o.g.v.", L),   // op grond van
    ("o.i.", L),     // onzes inziens
    ("o.i.d.", T),   // of iets dergelijks
    ("o.l.v.", L),   // onder leiding van
    ("o.m.", L),     // onder meer
    ("o.v.v.", L),   // onder vermelding van
    ("okt.", T),     // oktober
    ("ong.", L),     // ongeveer
    ("p.a.", L),     // per adres
    ("p.j.", T),     // per jaar
    ("p.m.", T),     // pro memorie
    ("p.p.", L),     // per persoon
    ("pag.", L),     // pagina
    ("par.", L),     // paragraaf
    ("plm.", L),     // plusminus
    ("plv.", L),     // plaatsvervangend
    ("prof.", L),    // professor
    ("resp.", L),    // respectievelijk
    ("s.v.p.", T),   // s'il vous plaît
    ("sep.", T),     // september
    ("sept.", T),    // september
    ("sgt.", L),     // sergeant
    ("sr.", T),      // senior
    ("st.", L),      // sint / stichting
    ("t.a.v.", L),   // ten aanzien van / ter attentie van
    ("t.b.v.", L),   // ten behoeve van
    ("t.g.v.", L),   // ten gevolge van / ter gelegenheid van
    ("t.h.v.", L),   // ter hoogte van
    ("t.l.v.", L),   // ten laste van
    ("t.n.v.", L),   // ten name van
    ("t.o.v.", L),   // ten opzichte van
    ("t.w.", L),     // te weten
    ("t.w.v.", L),   // ter waarde van
    ("t.z.t.", T),   // te zijner tijd
    ("tab.", L),     // tabel
    ("tel.", L),     // telefoon
    ("v.a.", L),     // vanaf
    ("v.w.b.", L),   // voor wat betreft
    ("vadm.", L),    // vice-admiraal
    ("vgl.", L),     // vergelijk
    ("vnl.", L),     // voornamelijk
    ("vr.", T),      // vrijdag
    ("vs.", L),      // versus
    ("vz.", L),      // voorzitter
    ("w.o.", L),     // waaronder
    ("wnd.", L),     // waarnemend
    ("wo.", T),      // woensdag
    ("z.g.", L),     // zogenaamd
    ("z.g.a.n.", T), // zo goed als nieuw
    ("z.o.z.", T),   // zie ommezijde
    ("z.s.m.", T),   // zo spoedig mogelijk
    ("za.", T),      // zaterdag
    ("zg.", L),      // zogenaamd
    ("zgn.", L),     // zogenaamd
];

/// The longest entry, in bytes: longer words are not looked up.
const MAX_LEN: usize = 16;

/// A set of abbreviations with their kinds; the default is [`DUTCH_ABBREVIATIONS`].
#[derive(Clone, Copy, Debug)]
pub struct Abbreviations {
    entries: &'static [(&'static str, AbbreviationKind)],
}

impl Default for Abbreviations {
    fn default() -> Self {
        Abbreviations {
            entries: DUTCH_ABBREVIATIONS,
        }
    }
}

impl Abbreviations {
    /// The kind of `word`, which includes its final period (`"jl."`), ignoring ASCII case.
    pub fn lookup(&self, word: &str) -> Option<AbbreviationKind> {
        let bytes = word.as_bytes();
        if bytes.len() > MAX_LEN || bytes.len() < 2 {
            return None;
        }
        let mut buf = [0u8; MAX_LEN];
        let lower = &mut buf[..bytes.len()];
        lower.copy_from_slice(bytes);
        lower.make_ascii_lowercase();
        self.entries
            .binary_search_by(|(entry, _)| entry.as_bytes().cmp(lower))
            .ok()
            .map(|i| self.entries[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_lower_case_and_dotted() {
        for pair in DUTCH_ABBREVIATIONS.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must sort before {}",
                pair[0].0,
                pair[1].0
            );
        }
        for (word, _) in DUTCH_ABBREVIATIONS {
            assert!(word.ends_with('.'), "{word}");
            assert!(word.len() <= MAX_LEN, "{word}");
            assert!(
                word.bytes().all(|b| b == b'.' || b.is_ascii_lowercase()),
                "{word}"
            );
        }
    }

    #[test]
    fn lookup_ignores_case() {
        let abbreviations = Abbreviations::default();
        assert_eq!(
            abbreviations.lookup("jl."),
            Some(AbbreviationKind::Trailing)
        );
        assert_eq!(
            abbreviations.lookup("C.S."),
            Some(AbbreviationKind::Trailing)
        );
        assert_eq!(abbreviations.lookup("Nr."), Some(AbbreviationKind::Leading));
        assert_eq!(
            abbreviations.lookup("t.a.v."),
            Some(AbbreviationKind::Leading)
        );
        assert_eq!(abbreviations.lookup("Defensie."), None);
        assert_eq!(abbreviations.lookup("jl"), None);
        assert_eq!(abbreviations.lookup(""), None);
        assert_eq!(abbreviations.lookup("één."), None);
    }
}

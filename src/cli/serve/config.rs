//! A Label Studio project's labelling configuration, as far as predictions need it: which
//! `Labels` control the regions belong to, which `Text` object it labels, which task field holds
//! the text, and which labels the project knows.

use std::collections::BTreeSet;

use nl_ner::Label;

/// What a labelling configuration says about where regions go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelConfig {
    /// The `name` of the `Labels` control.
    pub from_name: String,
    /// The `name` of the `Text` object the control labels.
    pub to_name: String,
    /// The task's `data` field that holds the text (`$text` in the object's `value`: `text`).
    pub data_key: String,
    /// The labels the control offers; `None` when any label goes (the default configuration).
    pub labels: Option<BTreeSet<String>>,
}

impl Default for LabelConfig {
    /// The configuration of `docs/exports.md`: `label` over `text`, the text in `data.text`.
    fn default() -> Self {
        LabelConfig {
            from_name: "label".into(),
            to_name: "text".into(),
            data_key: "text".into(),
            labels: None,
        }
    }
}

impl LabelConfig {
    /// Reads the first `Labels` control whose `toName` is a `Text` object with a `$field` value.
    pub fn parse(xml: &str) -> anyhow::Result<LabelConfig> {
        let doc = roxmltree::Document::parse(xml)
            .map_err(|e| anyhow::anyhow!("the labelling configuration is not XML: {e}"))?;
        let named = |name: &str| {
            doc.descendants()
                .find(|n| n.has_tag_name("Text") && n.attribute("name") == Some(name))
        };
        for control in doc.descendants().filter(|n| n.has_tag_name("Labels")) {
            let (Some(from_name), Some(to_name)) =
                (control.attribute("name"), control.attribute("toName"))
            else {
                continue;
            };
            let Some(data_key) = named(to_name)
                .and_then(|t| t.attribute("value"))
                .and_then(|v| v.strip_prefix('$'))
            else {
                continue;
            };
            let labels = control
                .descendants()
                .filter(|n| n.has_tag_name("Label"))
                .filter_map(|n| n.attribute("value"))
                .map(String::from)
                .collect();
            return Ok(LabelConfig {
                from_name: from_name.into(),
                to_name: to_name.into(),
                data_key: data_key.into(),
                labels: Some(labels),
            });
        }
        anyhow::bail!("the labelling configuration has no <Labels> control over a <Text> object")
    }

    /// Whether the project offers `label`.
    pub fn keeps(&self, label: Label) -> bool {
        self.labels
            .as_ref()
            .is_none_or(|l| l.contains(label.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_labels_control_over_a_text_object() {
        let xml = r#"<View>
            <Choices name="kind" toName="doc"><Choice value="brief"/></Choices>
            <Labels name="ner" toName="doc"><Label value="PER"/><Label value="ORG" background="red"/></Labels>
            <Text name="doc" value="$content"/>
        </View>"#;
        let c = LabelConfig::parse(xml).unwrap();
        assert_eq!(
            (
                c.from_name.as_str(),
                c.to_name.as_str(),
                c.data_key.as_str()
            ),
            ("ner", "doc", "content")
        );
        assert!(c.keeps(Label::Org) && !c.keeps(Label::Loc));
        assert!(LabelConfig::default().keeps(Label::Loc));
    }

    #[test]
    fn refuses_what_cannot_take_entities() {
        let image = r#"<View><Image name="img" value="$image"/>
            <RectangleLabels name="box" toName="img"><Label value="PER"/></RectangleLabels></View>"#;
        let err = |xml: &str| LabelConfig::parse(xml).unwrap_err().to_string();
        assert!(err(image).contains("no <Labels> control over a <Text> object"));
        assert!(err("<View>").starts_with("the labelling configuration is not XML: "));
    }
}

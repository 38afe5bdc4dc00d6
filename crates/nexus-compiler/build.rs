//! Embeds the SQL and YAML templates of `templates/` into the library, so the binary needs no
//! files.

fn main() {
    minijinja_embed::embed_templates!("../../templates", &[".sql", ".yml"][..]);
}

//! Embeds the SQL templates of `templates/` into the library, so the binary needs no files.

fn main() {
    minijinja_embed::embed_templates!("../../templates", &[".sql"][..]);
}

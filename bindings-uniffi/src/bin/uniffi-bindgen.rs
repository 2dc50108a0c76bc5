//! `uniffi-bindgen` for this crate: generates the Kotlin and Swift (and
//! Python) sources from the built cdylib in library mode.

fn main() {
    uniffi::uniffi_bindgen_main()
}

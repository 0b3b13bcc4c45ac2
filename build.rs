//! With the `transformer` feature, the binary finds libtorch's shared libraries where
//! `scripts/transformer/setup.sh` put them (an rpath to `$LIBTORCH/lib`), so no
//! `LD_LIBRARY_PATH` is needed to run it.

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if std::env::var_os("CARGO_FEATURE_TRANSFORMER").is_some()
        && let Some(lib) = std::env::var_os("LIBTORCH")
    {
        let lib = std::path::Path::new(&lib).join("lib");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}

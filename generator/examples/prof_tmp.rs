fn main() {
    let curated = include_str!("../../openapi/descope-auth.yaml");
    let s = descope_generator::Settings::default();
    for _ in 0..30 {
        std::hint::black_box(descope_generator::generate(curated, "x", &s).unwrap());
    }
}

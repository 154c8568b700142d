//! How botocore names the sections of a config file (`configloader.build_profile_map`).

/// What a config-file section header means to botocore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigSection {
    /// A profile: `[default]`, or a header starting with `profile` that splits (shell-like)
    /// into exactly two words, the second being the name.
    Profile(String),
    /// `[sso-session name]`.
    SsoSession(String),
    /// `[services name]`.
    Services(String),
    /// Starts with `profile`/`sso-session`/`services` but does not split into two words
    /// (`[profile a b]`, `[profiledev]`, unbalanced quotes): silently dropped.
    Dropped,
    /// Any other section (`[dev]`, `[plugins]`): not a profile.
    Other,
}

/// Classify a config-file section name exactly as botocore does.
#[must_use]
pub fn config_section(name: &str) -> ConfigSection {
    let two_words = |name: &str| match super::pyshlex::split(name) {
        Ok(parts) if parts.len() == 2 => parts.into_iter().nth(1),
        _ => None,
    };
    if name.starts_with("profile") {
        two_words(name).map_or(ConfigSection::Dropped, ConfigSection::Profile)
    } else if name.starts_with("sso-session") {
        two_words(name).map_or(ConfigSection::Dropped, ConfigSection::SsoSession)
    } else if name.starts_with("services") {
        two_words(name).map_or(ConfigSection::Dropped, ConfigSection::Services)
    } else if name == "default" {
        ConfigSection::Profile("default".into())
    } else {
        ConfigSection::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn botocore_section_names() {
        assert_eq!(
            config_section("default"),
            ConfigSection::Profile("default".into())
        );
        assert_eq!(
            config_section("profile dev"),
            ConfigSection::Profile("dev".into())
        );
        assert_eq!(
            config_section("profile  \"my dev\""),
            ConfigSection::Profile("my dev".into())
        );
        assert_eq!(
            config_section("profilex y"),
            ConfigSection::Profile("y".into())
        );
        assert_eq!(config_section("profile a b"), ConfigSection::Dropped);
        assert_eq!(config_section("profiledev"), ConfigSection::Dropped);
        assert_eq!(config_section("dev"), ConfigSection::Other);
        assert_eq!(config_section("Default"), ConfigSection::Other);
        assert_eq!(
            config_section("sso-session s"),
            ConfigSection::SsoSession("s".into())
        );
    }
}

"""labelbook's integration with the site engine (MkDocs or ProperDocs): a plugin and the
theme files it brings. The generator itself never imports the engine."""

// Keeps a library target linkable while its folder has no sources yet.

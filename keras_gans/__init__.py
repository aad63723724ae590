"""keras-gans."""

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    vault = {
      source = "hashicorp/vault"
      # Tested with 3.3.1 (built from source by scripts/lib/ensure-tofu.sh); only resources and
      # arguments that are the same in 3.3.1 through 5.x are used.
      version = ">= 3.3.1, < 6.0.0"
    }
  }
}

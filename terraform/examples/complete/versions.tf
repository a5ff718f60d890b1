terraform {
  required_version = ">= 1.6.0"

  required_providers {
    vault = {
      source  = "hashicorp/vault"
      version = ">= 3.3.1, < 6.0.0"
    }
  }
}

# Address and credentials come from the environment (VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, ...),
# never from this file. See docs/terraform.md for AppRole / auth_login instead of a token.
provider "vault" {}

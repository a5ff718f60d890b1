# auditor: a security reviewer who reads the audit trail of every tenant and nothing else.
#
# Read on identity-broker/tenants/<tenant>/audit only (a virtual path checked by the broker
# with sys/capabilities-self). No read on the tenants themselves, so tenant details,
# enrollment tokens and agents stay out of reach.

path "identity-broker/tenants/+/audit" {
  capabilities = ["read"]
}

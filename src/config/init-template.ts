/** The commented warden.yaml that `warden init` writes. Every key is optional. */
export const INIT_TEMPLATE = `# warden.yaml: configuration of Warden, the governance tool for AI agents' non-human identities.
# Precedence: these values < WARDEN_* environment variables < command-line flags.

# Where the inventory is kept: a SQLite file (the default, created on first use) or a
# PostgreSQL URL such as postgres://warden@db.internal:5432/warden (env: WARDEN_DATABASE).
database: .warden/warden.db

# Exit with status 1 when a finding at or above this severity is reported (info|low|medium|high|critical).
# failOn: high

posture:
  # An identity unused for this many days is reported (each threshold is its own finding level).
  unusedDays: [30, 90]
  # Rotate secrets at least this often; admin-level credentials more often.
  rotationDays: 90
  adminRotationDays: 30
  # The longest lifetime a credential may be issued with.
  maxExpiryDays: 365
  # How far back usage events count when comparing granted and used permissions.
  usageWindowDays: 90

links:
  # Tags or labels whose value names the agent that uses the tagged identity.
  tagKeys: [agent, warden.io/agent]
  # Naming conventions: a regular expression over the identity's native id or name -> agent name.
  patterns: []
  #  - match: "^arn:aws:iam::\\\\d+:role/support-bot-"
  #    agent: support-bot
  # Explicit mappings: identity native id -> agent name.
  mappings: {}

# Accepted risks: reported as accepted until the date, then open again.
accept: []
#  - finding: "identity-no-expiry:arn:aws:iam::*:user/legacy-*"
#    reason: "Replaced by OIDC in Q3; tracked in SEC-123"
#    by: alice@example.com
#    until: 2027-03-31

scan:
  # Paths (globs) never scanned, in addition to .gitignore.
  exclude: []
  # Values and paths never reported.
  allowValues: []
  allowPaths: []
  # Your own credential patterns, e.g.:
  rules: []
  #  - id: acme-internal-token
  #    regex: "acme_tok_[a-z0-9]{32}"
  #    keywords: [acme_tok_]
`;

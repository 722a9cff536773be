-- Accounts of the server's users kept in the database (users may also come from the server's
-- configuration or from an OpenID Connect provider). The password is a bcrypt hash in modular crypt
-- form; the plain password is never stored. One role per account: an operator may do all a viewer may.
CREATE TABLE account (
    name          TEXT PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$2%'),
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

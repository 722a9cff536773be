/**
 * Who may do what: the roles, the accounts kept in the database, the first operator created on a
 * fresh install, and the API's answer to a request without credentials. Users may also come from the
 * server's configuration (the properties realm) or from an OpenID Connect provider; see README.
 */
package org.cellforge.web.security;

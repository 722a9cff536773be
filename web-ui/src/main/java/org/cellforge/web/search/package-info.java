/** Searches for REST and the dashboard: submitted through the runner, read back from the database. */
package org.cellforge.web.search;

/** The Cellforge server: entry point, configuration and the embedded database at start-up. */
package org.cellforge.web;

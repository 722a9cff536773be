/** The command line: modes, flags and the progress printed while a search runs. */
package org.cellforge.web.cli;

/** The {@code cellforge} command line for searches and descriptions: no web server, quiet output. */
package org.cellforge.runner.cli;

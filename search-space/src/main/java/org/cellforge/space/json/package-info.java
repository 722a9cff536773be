/** A small JSON reader and writer, so that search spaces and their architectures need no library to be stored. */
package org.cellforge.space.json;

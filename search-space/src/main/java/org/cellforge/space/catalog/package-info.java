/** Search spaces by name and from configuration files, including user-defined operations. */
package org.cellforge.space.catalog;

/** Search spaces of cell architectures and the architectures they contain, free of any training framework. */
package org.cellforge.space;

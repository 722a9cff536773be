/** System tests: the whole application against a real PostgreSQL, over REST and in a browser. */
package org.cellforge.tests;

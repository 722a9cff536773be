/** Dashboard components drawn in the browser by npm libraries, fed JSON built on the server. */
package org.cellforge.web.ui.component;

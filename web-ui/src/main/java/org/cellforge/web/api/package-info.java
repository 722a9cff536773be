/** The REST API over searches, trials and exports, with errors as JSON naming the field at fault. */
package org.cellforge.web.api;

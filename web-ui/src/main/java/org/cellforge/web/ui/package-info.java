/** The Vaadin dashboard that shows searches and their trials live from the database. */
package org.cellforge.web.ui;

/** Declared, validated settings of controllers and searches, with field-named violations. */
package org.cellforge.controller.option;

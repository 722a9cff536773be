/**
 * JSON for search spaces and their architectures: strict reading and stable pretty writing of plain
 * maps, lists and values through jackson-jr (which needs only jackson-core), and typed reading whose
 * errors name the field path or the line and column.
 */
package org.cellforge.space.json;

/** Search strategies in ask/tell form: they propose architectures and learn from evaluated ones. */
package org.cellforge.controller;

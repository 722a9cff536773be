/** Image datasets read from local files into memory, with fixed train/validation splits. */
package org.cellforge.evaluator.data;

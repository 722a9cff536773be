/** Writes trained networks out: ONNX models with their weights, and PyTorch source for an architecture. */
package org.cellforge.evaluator.export;

/**
 * Writes trained networks out: ONNX models with their weights, PyTorch source for an architecture,
 * and PyTorch bundles (source plus safetensors weights) made from a stored ONNX model.
 */
package org.cellforge.evaluator.export;

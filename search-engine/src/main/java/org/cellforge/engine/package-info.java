/**
 * The search engine: the loop between a controller and an evaluation, generic over space and
 * controller, with its ports (evaluation, storage, events) and the request it runs.
 */
package org.cellforge.engine;

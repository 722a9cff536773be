package org.cellforge.engine;

import java.util.Objects;

/**
 * What a search records of its dataset when it is created: the shape of its images, so results can
 * be exported without loading the data, and a fingerprint, so another machine can check its copy.
 *
 * @param channels colour channels per image
 * @param height rows per image
 * @param width columns per image
 * @param classes number of classes
 * @param fingerprint size and checksum of the training images and labels
 */
public record DatasetInfo(int channels, int height, int width, int classes, String fingerprint) {

    public DatasetInfo {
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 1) {
            throw new IllegalArgumentException("not an image dataset: " + channels + "x" + height + "x" + width
                    + ", " + classes + " classes");
        }
    }
}

package org.cellforge.evaluator.nb201;

/**
 * The macro skeleton around the searched cell: stem width, cells per stage and the input and
 * output sizes of the task.
 *
 * @param channels width C of the first stage; stages have C, 2C and 4C channels
 * @param cellsPerStage cells N in each of the three stages
 * @param inputChannels colour channels of the images
 * @param classes number of output classes
 */
public record MacroSettings(int channels, int cellsPerStage, int inputChannels, int classes) {

    public MacroSettings {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (cellsPerStage <= 0) {
            throw new IllegalArgumentException("cellsPerStage must be positive, got " + cellsPerStage);
        }
        if (inputChannels <= 0 || classes < 2) {
            throw new IllegalArgumentException("need at least one input channel and two classes, got "
                    + inputChannels + " and " + classes);
        }
    }
}

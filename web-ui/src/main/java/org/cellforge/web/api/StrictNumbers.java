package org.cellforge.web.api;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Refuses a fraction where a request wants a whole number: Jackson would otherwise cut
 * {@code "trials": 2.5} to 2 and start a search nobody asked for. Refuses anything after the body's
 * one JSON value too: by default the reader stops after it, and {@code {"trials": 3} and more}
 * started a search.
 */
@Singleton
public class StrictNumbers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}

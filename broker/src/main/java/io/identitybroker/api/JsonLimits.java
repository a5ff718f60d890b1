package io.identitybroker.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Tightens Jackson for untrusted input: parser limits (no request body of this API nests deeper
 * than a few levels, so anything beyond {@value #MAX_DEPTH} is an attack or a mistake), and no
 * coercion at all: a field documented as a string, number, boolean, list or object accepts only
 * that JSON type. Micronaut turns on single-value-as-array and array unwrapping by default; a
 * {@code ["x"]} where a string belongs, or {@code "600"} where a number belongs, is a client
 * error (400 {@code malformed_json}), not something to guess at.
 */
@Singleton
public class JsonLimits implements BeanCreatedEventListener<ObjectMapper> {
    static final int MAX_DEPTH = 16;

    private static final CoercionInputShape[] SCALAR_SHAPES = {CoercionInputShape.Integer, CoercionInputShape.Float,
            CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString,
            CoercionInputShape.Array, CoercionInputShape.EmptyArray, CoercionInputShape.Object};

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        ObjectMapper mapper = event.getBean();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(64 * 1024)
                .maxNumberLength(32)
                .build());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        mapper.disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT);
        mapper.disable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // Every logical type accepts only its own JSON shape; each other shape fails.
        for (LogicalType type : LogicalType.values()) {
            for (CoercionInputShape shape : SCALAR_SHAPES) {
                if (!isNative(type, shape)) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
            mapper.coercionConfigFor(type).setAcceptBlankAsEmpty(false);
        }
        return mapper;
    }

    /** The JSON shapes that are a type's own, not a coercion. */
    private static boolean isNative(LogicalType type, CoercionInputShape shape) {
        return switch (type) {
            case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
            case Integer -> shape == CoercionInputShape.Integer;
            case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
            case Boolean -> shape == CoercionInputShape.Boolean;
            case Array, Collection -> shape == CoercionInputShape.Array || shape == CoercionInputShape.EmptyArray;
            default -> true; // maps, objects, dates, enums: Jackson's own checks refuse foreign shapes
        };
    }
}

package io.identitybroker.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.regex.Pattern;

/**
 * Says which field of a JSON body was at fault, in words safe to show and log: a field name is
 * named only when it looks like one ({@value #SAFE_NAME}), so no client text of any other shape
 * is ever echoed; otherwise the answer names no field.
 */
public final class JsonErrors {
    private static final String SAFE_NAME = "[A-Za-z0-9_#.-]{1,64}";
    private static final Pattern SAFE = Pattern.compile(SAFE_NAME);

    private JsonErrors() {
    }

    /** The detail for a body that failed to bind, or {@code fallback} when the cause names no safe field. */
    public static String detail(Throwable failure, String fallback) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnrecognizedPropertyException u) {
                String name = u.getPropertyName();
                return name != null && SAFE.matcher(name).matches()
                        ? "Unknown field '" + name + "'." : "The body has an unknown field.";
            }
            if (t instanceof MismatchedInputException m) {
                String path = path(m);
                return path == null ? fallback : "Field '" + path + "' has the wrong JSON type or value.";
            }
        }
        return fallback;
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!SAFE.matcher(ref.getFieldName()).matches()) {
                    return null;
                }
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? null : out.toString();
    }
}

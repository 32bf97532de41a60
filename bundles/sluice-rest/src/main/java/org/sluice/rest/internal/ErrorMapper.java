package org.sluice.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.ForbiddenException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.PluginUnavailableException;
import org.sluice.api.error.SluiceException;
import org.sluice.api.error.ValidationException;
import org.sluice.rest.internal.compat.CompatErrors;

/**
 * Turns every exception into the API's error body. Domain exceptions keep their code and message; anything else is a
 * 500 whose details stay in the server log under the correlation id. No stack trace or class name reaches a client.
 */
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private final Logger logger = LoggerFactory.getLogger(ErrorMapper.class);
    private final CompatErrors compat = new CompatErrors();

    @Context
    private UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable failure) {
        if (uriInfo != null && ApiPaths.isCompat(uriInfo.getPath())) {
            return compat.toResponse(failure);
        }
        String correlationId = UUID.randomUUID().toString();
        WebApplicationException tooLarge = tooLarge(failure);
        if (tooLarge != null) {
            // A chunked body over the limit fails while a JSON reader consumes it; the reader wraps the refusal.
            return tooLarge.getResponse();
        }
        if (failure instanceof SluiceException domain) {
            return respond(statusOf(domain), domain.code(), domain.getMessage(), correlationId);
        }
        if (failure instanceof JsonProcessingException json) {
            return respond(400, "invalid_json", JsonErrors.describe(json), correlationId);
        }
        if (failure instanceof IllegalArgumentException) {
            return respond(400, "invalid_input", failure.getMessage(), correlationId);
        }
        if (failure instanceof WebApplicationException web
                && web.getResponse().getStatus() == 404
                && causedBy(failure, NumberFormatException.class) != null) {
            // JAX-RS answers 404 when a path or query parameter cannot be converted; the caller sent a bad value.
            String detail = causedBy(failure, NumberFormatException.class).getMessage();
            return respond(
                    400,
                    "invalid_input",
                    "a whole number was expected in the path or a query parameter"
                            + (detail == null ? "" : " (" + detail.replace("For input string: ", "got ") + ")"),
                    correlationId);
        }
        if (failure instanceof WebApplicationException web && web.getResponse().hasEntity()) {
            return web.getResponse();
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String code = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 406 -> "not_acceptable";
                case 415 -> "unsupported_media_type";
                default -> "http_" + status;
            };
            String message = switch (status) {
                case 415 -> "this endpoint reads JSON: send the body with Content-Type: application/json";
                case 406 -> "this endpoint answers JSON: accept application/json";
                default -> status >= 500 ? "the request failed" : String.valueOf(web.getMessage());
            };
            return respond(status, code, message, correlationId);
        }
        logger.error("Request failed [{}]", correlationId, failure);
        return respond(500, "internal_error", "the server failed to handle the request; see its log", correlationId);
    }

    /** The first cause of {@code failure} (itself included) of the given type, or {@code null}. */
    private static <T extends Throwable> T causedBy(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** The 413 refusal of an over-long body somewhere in the causes of {@code failure}, or {@code null}. */
    private static WebApplicationException tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebApplicationException web
                    && web.getResponse().getStatus() == 413) {
                return web;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** The HTTP status of a domain exception, the same in both APIs. */
    public static int statusOf(SluiceException failure) {
        if (failure instanceof NotFoundException) {
            return 404;
        }
        if (failure instanceof ValidationException) {
            return 400;
        }
        if (failure instanceof ConflictException) {
            return 409;
        }
        if (failure instanceof ForbiddenException) {
            return 403;
        }
        if (failure instanceof PluginUnavailableException) {
            return 503;
        }
        return 400;
    }

    /** An error response with a new correlation id, in the shape of the API that {@code path} belongs to. */
    public static Response respond(String path, int status, String code, String message) {
        return ApiPaths.isCompat(path)
                ? CompatErrors.respond(status, code, message)
                : respond(status, code, message, UUID.randomUUID().toString());
    }

    public static Response respond(int status, String code, String message, String correlationId) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Correlation-Id", correlationId)
                .entity(new ErrorBody(code, message, correlationId))
                .build();
    }
}

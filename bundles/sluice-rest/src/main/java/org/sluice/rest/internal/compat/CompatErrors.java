package org.sluice.rest.internal.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.SluiceException;
import org.sluice.rest.internal.ErrorMapper;

/**
 * Errors of the compatible API in the reference's shape, {@code {"message": ...}} (clients that read error bodies
 * read {@code message}), plus Sluice's stable {@code code} and a {@code correlation_id} that the server log quotes.
 */
public class CompatErrors implements ExceptionMapper<Throwable> {

    private final Logger logger = LoggerFactory.getLogger(CompatErrors.class);

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof SluiceException domain) {
            return respond(ErrorMapper.statusOf(domain), domain.code(), domain.getMessage());
        }
        if (failure instanceof JsonProcessingException json) {
            return respond(400, "invalid_json", "the request body is not valid JSON: " + json.getOriginalMessage());
        }
        if (failure instanceof IllegalArgumentException) {
            return respond(400, "invalid_input", failure.getMessage());
        }
        if (failure instanceof WebApplicationException web && web.getResponse().hasEntity()) {
            return web.getResponse();
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return respond(
                    status,
                    status == 404 ? "not_found" : "http_" + status,
                    status == 404 ? "no such resource" : status >= 500 ? "the request failed" : web.getMessage());
        }
        String correlationId = UUID.randomUUID().toString();
        logger.error("Request to the compatible API failed [{}]", correlationId, failure);
        return respond(500, "internal_error", "the server failed to handle the request; see its log", correlationId);
    }

    public static Response respond(int status, String code, String message) {
        return respond(status, code, message, UUID.randomUUID().toString());
    }

    static Response respond(int status, String code, String message, String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        body.put("correlation_id", correlationId);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Correlation-Id", correlationId)
                .entity(body)
                .build();
    }
}

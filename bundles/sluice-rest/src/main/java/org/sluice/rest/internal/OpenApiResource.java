package org.sluice.rest.internal;

import java.io.InputStream;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.sluice.rest.internal.security.Public;

/**
 * The API's OpenAPI description ({@code openapi.json}) and a browsable rendering of it ({@code docs/}, Swagger UI).
 * Public, like any API documentation; it describes the API, not its data.
 */
@Path(ApiPaths.OWN)
@Public
public class OpenApiResource {

    private static final Map<String, String> DOCS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "sluice-docs.js", "text/javascript; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8");

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        return serve("openapi.json", MediaType.APPLICATION_JSON);
    }

    @GET
    @Path("docs")
    public Response docsRoot() {
        return Response.status(Response.Status.MOVED_PERMANENTLY)
                .header("Location", "/" + ApiPaths.OWN + "/docs/index.html")
                .build();
    }

    @GET
    @Path("docs/{file}")
    public Response docs(@PathParam("file") String file) {
        String type = DOCS.get(file);
        if (type == null) {
            throw new NotFoundException();
        }
        return serve("api-docs/" + file, type);
    }

    private static Response serve(String resource, String type) {
        InputStream stream = OpenApiResource.class.getClassLoader().getResourceAsStream(resource);
        if (stream == null) {
            throw new NotFoundException();
        }
        return Response.ok(stream, type)
                .header("X-Content-Type-Options", "nosniff")
                .header(
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
                .header("Cache-Control", "no-cache")
                .build();
    }
}

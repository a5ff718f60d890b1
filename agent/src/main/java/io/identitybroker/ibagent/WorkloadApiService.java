package io.identitybroker.ibagent;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;

import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SPIFFE Workload API over the agent's one identity. Who may call is decided by the socket's
 * file mode (no workload attestation): every caller gets the agent's SVID. Streams push a new
 * message after every rotation or bundle change; a request without the
 * {@code workload.spiffe.io: true} header is refused with InvalidArgument (by {@link #securityHeader()}).
 * Failures to reach the broker for a JWT-SVID are Unavailable; invalid JWT-SVIDs are InvalidArgument.
 */
public final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {
    static final Metadata.Key<String> SECURITY_HEADER = Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

    private final Identity identity;
    private final JwtSvids jwtSvids;

    public WorkloadApiService(Identity identity, JwtSvids jwtSvids) {
        this.identity = identity;
        this.jwtSvids = jwtSvids;
    }

    /** Refuses calls that lack {@code workload.spiffe.io: true} (the Workload API's SSRF guard). */
    public static ServerInterceptor securityHeader() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                if (!"true".equals(headers.get(SECURITY_HEADER))) {
                    call.close(Status.INVALID_ARGUMENT.withDescription("security header missing from request"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    @Override
    public void fetchX509SVID(Workload.X509SVIDRequest request, StreamObserver<Workload.X509SVIDResponse> out) {
        stream(out, WorkloadApiService::x509Response);
    }

    @Override
    public void fetchX509Bundles(Workload.X509BundlesRequest request, StreamObserver<Workload.X509BundlesResponse> out) {
        stream(out, s -> Workload.X509BundlesResponse.newBuilder()
                .putBundles(tdId(s), ByteString.copyFrom(der(s.bundle().x509Roots()))).build());
    }

    @Override
    public void fetchJWTBundles(Workload.JWTBundlesRequest request, StreamObserver<Workload.JWTBundlesResponse> out) {
        stream(out, s -> Workload.JWTBundlesResponse.newBuilder()
                .putBundles(tdId(s), ByteString.copyFromUtf8(s.bundle().jwtKeysJson())).build());
    }

    @Override
    public void fetchJWTSVID(Workload.JWTSVIDRequest request, StreamObserver<Workload.JWTSVIDResponse> out) {
        if (request.getAudienceCount() == 0) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("audience must be specified").asRuntimeException());
            return;
        }
        Identity.Snapshot s = identity.snapshot();
        if (!request.getSpiffeId().isEmpty() && !request.getSpiffeId().equals(s.info().spiffeId())) {
            out.onError(Status.PERMISSION_DENIED.withDescription("no identity " + request.getSpiffeId() + " here").asRuntimeException());
            return;
        }
        try {
            JwtSvids.Cached c = jwtSvids.fetch(JwtSvids.audiences(request.getAudienceList()));
            out.onNext(Workload.JWTSVIDResponse.newBuilder()
                    .addSvids(Workload.JWTSVID.newBuilder().setSpiffeId(c.spiffeId()).setSvid(c.token())).build());
            out.onCompleted();
        } catch (BrokerException e) {
            Log.warn("JWT-SVID request refused by the broker: " + e.getMessage());
            out.onError((e.transientFailure() ? Status.UNAVAILABLE : Status.PERMISSION_DENIED)
                    .withDescription("broker: " + e.type()).asRuntimeException());
        } catch (Exception e) {
            Log.warn("JWT-SVID unavailable: " + e.getMessage());
            out.onError(Status.UNAVAILABLE.withDescription("the broker cannot be reached").asRuntimeException());
        }
    }

    @Override
    public void validateJWTSVID(Workload.ValidateJWTSVIDRequest request, StreamObserver<Workload.ValidateJWTSVIDResponse> out) {
        if (request.getAudience().isEmpty()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("audience must be specified").asRuntimeException());
            return;
        }
        if (request.getSvid().isEmpty()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("svid must be specified").asRuntimeException());
            return;
        }
        try {
            JwtSvids.Validated v = JwtSvids.validate(request.getSvid(), request.getAudience(), this::jwtBundles);
            out.onNext(Workload.ValidateJWTSVIDResponse.newBuilder().setSpiffeId(v.spiffeId())
                    .setClaims(struct(v.claims())).build());
            out.onCompleted();
        } catch (JwtSvids.InvalidToken e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    private Map<String, String> jwtBundles() {
        Identity.Snapshot s = identity.snapshot();
        Map<String, String> m = new HashMap<>();
        m.put(s.info().trustDomain(), s.bundle().jwtKeysJson());
        return m;
    }

    /** Sends the current state, then again after every change, until the client goes away. */
    private <T> void stream(StreamObserver<T> out, Function<Identity.Snapshot, T> message) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) out;
        Identity.Listener listener = s -> send(call, message.apply(s));
        call.setOnCancelHandler(() -> identity.unlisten(listener));
        identity.listen(listener);
        send(call, message.apply(identity.snapshot()));
    }

    private static <T> void send(ServerCallStreamObserver<T> call, T message) {
        synchronized (call) {
            if (!call.isCancelled()) {
                try {
                    call.onNext(message);
                } catch (RuntimeException closed) {
                    // the client went away between the check and the send
                }
            }
        }
    }

    static Workload.X509SVIDResponse x509Response(Identity.Snapshot s) {
        Svid svid = s.svid();
        return Workload.X509SVIDResponse.newBuilder().addSvids(Workload.X509SVID.newBuilder()
                .setSpiffeId(s.info().spiffeId())
                .setX509Svid(ByteString.copyFrom(der(svid.chain())))
                .setX509SvidKey(ByteString.copyFrom(svid.key().getEncoded()))
                .setBundle(ByteString.copyFrom(der(s.bundle().x509Roots())))).build();
    }

    private static String tdId(Identity.Snapshot s) {
        return "spiffe://" + s.info().trustDomain();
    }

    /** ASN.1 DER certificates concatenated, as the Workload API carries them. */
    static byte[] der(List<X509Certificate> certs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate c : certs) {
            try {
                out.writeBytes(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toByteArray();
    }

    static Struct struct(Map<String, Object> claims) {
        Struct.Builder b = Struct.newBuilder();
        claims.forEach((k, v) -> b.putFields(k, value(v)));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static Value value(Object v) {
        if (v == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (v instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (v instanceof Boolean bool) {
            return Value.newBuilder().setBoolValue(bool).build();
        }
        if (v instanceof Date d) {
            return Value.newBuilder().setNumberValue(d.getTime() / 1000).build();
        }
        if (v instanceof Map<?, ?> m) {
            return Value.newBuilder().setStructValue(struct((Map<String, Object>) m)).build();
        }
        if (v instanceof Iterable<?> it) {
            ListValue.Builder l = ListValue.newBuilder();
            it.forEach(x -> l.addValues(value(x)));
            return Value.newBuilder().setListValue(l).build();
        }
        return Value.newBuilder().setStringValue(v.toString()).build();
    }
}

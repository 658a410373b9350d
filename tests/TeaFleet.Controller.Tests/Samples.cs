namespace TeaFleet.Controller.Tests;

public static class Samples
{
    public const string Inventory = """
        app: team-evaluatie-app
        state_dir: state
        certificates:
          ca: pki/ca.crt
          cert: pki/operator.crt
          key: pki/operator.key
        drill:
          window: 24h
        environments:
          staging:
            health_urls: [ "http://10.77.0.11/health", "http://10.77.0.11/api/v1/health" ]
            hosts:
              - name: staging-1
                address: https://10.77.0.11:7443
          production:
            health_urls: [ "http://10.77.0.21/health", "http://10.77.0.22/health" ]
            hosts:
              - name: prod-1
                address: https://10.77.0.21:7443
              - name: prod-2
                address: https://10.77.0.22:7443
        contacts:
          - { role: primary, name: On-call operator, phone: "+31 6 00000000" }
        """;

    public const string C1 = "1111111111111111111111111111111111111111";
    public const string C2 = "2222222222222222222222222222222222222222";
    public const string C3 = "3333333333333333333333333333333333333333";
}

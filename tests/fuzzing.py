"""What the fuzz tests share: hypothesis's settings for them, and a matter
of the fuzzing staff member's own."""

from hypothesis import HealthCheck, Phase, settings

#: deterministic (CI runs the same examples each time), no example database,
#: no deadline (a request to the server may take long on a busy machine), no
#: explaining phase (it takes minutes: the failing example is enough); the
#: fixtures are the server's, shared on purpose between examples
FUZZ = settings(
    derandomize=True,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def own_matter(orm, login):
    """The id of a matter ``login`` registers (and may read), committed."""

    def register(env):
        return (
            env["shouwen.matter"]
            .create(
                {
                    "subject": "模糊测试",
                    "customer_name": "王",
                    "channel": "phone",
                    "customer_phone": "13812345678",
                }
            )
            .id
        )

    return orm(login, register, commit=True)

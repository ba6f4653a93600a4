/* A shared object with no pw_plugin_entry: must be refused. */
int not_a_plugin(void);

int
not_a_plugin(void)
{
	return 42;
}

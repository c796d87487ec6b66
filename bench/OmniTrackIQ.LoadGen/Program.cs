Console.Error.WriteLine("load generator: being written (issue 2)");
return 2;

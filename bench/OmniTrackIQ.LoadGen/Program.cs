using OmniTrackIQ.LoadGen;

var options = LoadOptions.Parse(args, Console.Error);
if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var result = await LoadRunner.RunAsync(options);
result.Print(options, Console.Out);
return result.Succeeded == 0 ? 1 : 0;
